package io.turnpike.store;

import java.util.Objects;

/** One stored proof of a watchtower with its plan for it. */
public record TowerEntry(TowerUpload upload, TowerWatch watch) {

    public TowerEntry {
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(watch, "watch");
    }

    public long channelId() {
        return upload.channelId();
    }
}
