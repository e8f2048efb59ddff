package id.audit.tokenid.app.config;

import id.audit.tokenid.exporter.http.InternalSecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where the instances' shared secret comes from: {@code --internal-secret-file} (or its twin
 * {@code TOKENID_INTERNAL_SECRET_FILE}) wins over {@code TOKENID_INTERNAL_SECRET}, the secret
 * itself. There is no flag for the secret itself, so it never shows in a process list.
 * Trailing line ends and spaces of a file are dropped (editors add them).
 */
final class InternalSecrets {

    static final String ENV = "TOKENID_INTERNAL_SECRET";
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private InternalSecrets() {
    }

    /** @throws IllegalArgumentException naming the setting, when unreadable or too short */
    static Optional<InternalSecret> read(String file, String envValue) {
        if (file != null && !file.isBlank()) {
            return Optional.of(of(fileBytes(Path.of(file)), "--internal-secret-file"));
        }
        if (envValue != null && !envValue.isEmpty()) {
            return Optional.of(of(trimEnd(envValue.getBytes(StandardCharsets.UTF_8)), ENV));
        }
        return Optional.empty();
    }

    private static byte[] fileBytes(Path path) {
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("--internal-secret-file must be a file under 64 KiB: " + path);
            }
            return trimEnd(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("--internal-secret-file cannot be read: " + path);
        }
    }

    private static InternalSecret of(byte[] secret, String setting) {
        if (secret.length < InternalSecret.MIN_BYTES) {
            throw new IllegalArgumentException(setting + " must hold at least " + InternalSecret.MIN_BYTES
                    + " bytes, had " + secret.length);
        }
        return InternalSecret.of(secret);
    }

    private static byte[] trimEnd(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == ' '
                || bytes[end - 1] == '\t')) {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }
}
