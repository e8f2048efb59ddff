package id.audit.tokenid.app.config;

import java.nio.file.Path;

/** Lets tests of other packages ask how many stores hold an instance's shared RocksDB memory. */
public final class BoundedRocksDbMemoryProbe {

    private BoundedRocksDbMemoryProbe() {
    }

    /** Open stores using the cache of this state directory and bound; 0 when none. */
    public static int users(Path stateDir, long bytes) {
        return BoundedRocksDbMemory.users(stateDir.toString(), bytes);
    }
}
