package id.audit.tokenid.app.demo;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.Tokens;
import id.audit.tokenid.exporter.auth.TokensFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The demo's two freshly minted tokens, one for the demo org and one admin, and the tokens
 * file that admits them (digests only, as in production). A tokens file the user named is
 * appended to, never overwritten.
 */
public record DemoTokens(String orgToken, String adminToken, Path file) {

    public static final String DEMO_ORG = "acme";

    public static DemoTokens mintInto(Path file) throws IOException {
        String orgToken = Tokens.mint();
        String adminToken = Tokens.mint();
        String lines = "# tokenid-metrics demo tokens, minted " + Instant.now() + "\n"
                + TokensFile.formatLine(TokenDigests.sha256Hex(orgToken), Principal.org(DEMO_ORG)) + "\n"
                + TokensFile.formatLine(TokenDigests.sha256Hex(adminToken), Principal.admin()) + "\n";
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean appendAfterText = Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file);
        Files.writeString(file, (appendAfterText ? "\n" : "") + lines, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new DemoTokens(orgToken, adminToken, file);
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return bytes[bytes.length - 1] == '\n';
    }

    @Override
    public String toString() {
        return "DemoTokens[file=" + file + "]"; // never log the tokens themselves
    }
}
