package io.turnpike.store;

import java.util.Optional;

/** Where each log watcher has read the chain up to, so it resumes there (and spots a re-org) after a restart. */
public interface CursorStore {

    Optional<BlockRef> get(String name);

    void put(String name, BlockRef block);
}
