package io.turnpike.store;

import static io.turnpike.store.Fixtures.hash;
import static org.assertj.core.api.Assertions.assertThat;

class CursorStoreTest {

    @ForAllDbs
    void aCursorIsKeptPerNameAndMovesWhenPut(TestDatabase db) {
        BlockRef first = new BlockRef(100, hash("block 100"));
        BlockRef later = new BlockRef(164, hash("block 164"));
        try (Store store = db.open()) {
            assertThat(store.cursors().get("channels")).isEmpty();

            store.cursors().put("channels", first);
            store.cursors().put("deposits", later);
            store.cursors().put("channels", later);

            assertThat(store.cursors().get("channels")).contains(later);
            assertThat(store.cursors().get("deposits")).contains(later);
        }
        try (Store reopened = db.open()) {
            assertThat(reopened.cursors().get("channels")).contains(later);
        }
    }
}
