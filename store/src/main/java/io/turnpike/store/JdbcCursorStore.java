package io.turnpike.store;

import java.time.Clock;
import java.util.Optional;

final class JdbcCursorStore implements CursorStore {

    private static final int MAX_NAME_LENGTH = 64;

    private final ReadPool reads;
    private final GroupCommitter committer;
    private final Clock clock;

    JdbcCursorStore(ReadPool reads, GroupCommitter committer, Clock clock) {
        this.reads = reads;
        this.committer = committer;
        this.clock = clock;
    }

    @Override
    public Optional<BlockRef> get(String name) {
        String key = requireName(name);
        return reads.read(connection -> Sql.one(connection,
                "SELECT block_number, block_hash FROM cursors WHERE name = ?",
                rs -> new BlockRef(rs.getLong("block_number"), Sql.bytes32(rs, "block_hash")), key));
    }

    @Override
    public void put(String name, BlockRef block) {
        String key = requireName(name);
        committer.write(connection -> Sql.update(connection,
                "INSERT INTO cursors (name, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (name) DO UPDATE SET block_number = excluded.block_number,"
                        + " block_hash = excluded.block_hash, updated_at = excluded.updated_at",
                key, block.number(), block.hash(), clock.instant()));
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a cursor name is 1.." + MAX_NAME_LENGTH + " characters, got '" + name + "'");
        }
        return name;
    }
}
