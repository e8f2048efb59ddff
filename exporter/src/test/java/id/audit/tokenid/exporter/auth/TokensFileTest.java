package id.audit.tokenid.exporter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensFileTest {

    private static final Duration FAST = Duration.ofMillis(20);

    @TempDir
    Path dir;

    private final String acmeToken = Tokens.mint();
    private final String adminToken = Tokens.mint();
    private final String acme = TokenDigests.sha256Hex(acmeToken);
    private final String admin = TokenDigests.sha256Hex(adminToken);

    @Test
    void grantsOrgAndAdminTokensAndSkipsCommentsAndBlankLines() throws IOException {
        // given
        Path file = write("""
                # tokens for the demo
                
                %s org:Acme   # the Acme token
                %s admin
                   # an indented comment
                """.formatted(acme, admin));

        // when
        try (TokensFile tokens = TokensFile.open(file, FAST)) {
            // then
            assertThat(tokens.lookup(acme)).contains(Principal.org("acme"));
            assertThat(tokens.lookup(admin)).contains(Principal.admin());
            assertThat(tokens.lookup(TokenDigests.sha256Hex("td_live_other"))).isEmpty();
            assertThat(tokens.problems()).isEmpty();
            assertThat(tokens.size()).isEqualTo(2);
        }
    }

    @Test
    void reportsMalformedLinesWithTheirNumbersAndKeepsTheRest() throws IOException {
        // given
        Path file = write("""
                %s org:acme
                not-a-digest org:acme
                %s
                %s org:
                %s member:acme
                %s
                %s org:%s
                """.formatted(acme, admin, admin, admin, acmeToken, admin, "x".repeat(129)));

        // when
        try (TokensFile tokens = TokensFile.open(file, FAST)) {
            // then
            assertThat(tokens.lookup(acme)).contains(Principal.org("acme"));
            assertThat(tokens.lookup(admin)).isEmpty();
            assertThat(tokens.problems()).hasSize(6);
            assertThat(tokens.problems()).extracting(p -> p.substring(0, p.indexOf(':')))
                    .containsExactly("line 2", "line 3", "line 4", "line 5", "line 6", "line 7");
            assertThat(tokens.problems().get(4)).contains("raw token");
            assertThat(String.join("\n", tokens.problems())).doesNotContain(acmeToken);
        }
    }

    @Test
    void keepsOrgIdsWithSpacesAndHashesInsideWords() {
        // when
        TokensFileParser.Parsed parsed = TokensFileParser.parse((acme + " org:  ACME Corp#1  # comment\r\n")
                .getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(parsed.grants().get(acme).principal()).isEqualTo(Principal.org("acme corp#1"));
        assertThat(parsed.problems()).isEmpty();
    }

    @Test
    void reportsALineThatIsNotUtf8AndReadsTheOthers() {
        // given
        byte[] bad = (admin + " org:caf").getBytes(StandardCharsets.UTF_8);
        byte[] content = concat("\uFEFF".getBytes(StandardCharsets.UTF_8), bad, new byte[] {(byte) 0xe9, '\n'},
                (acme + " org:acme\n").getBytes(StandardCharsets.UTF_8));

        // when
        TokensFileParser.Parsed parsed = TokensFileParser.parse(content);

        // then
        assertThat(parsed.problems()).containsExactly("line 1: not valid UTF-8");
        assertThat(parsed.grants()).containsOnlyKeys(acme);
    }

    @Test
    void dropsADigestGrantedTwoDifferentWays() {
        // when
        TokensFileParser.Parsed parsed = TokensFileParser.parse("""
                %s org:acme
                %s admin
                %s org:globex
                %s org:globex
                """.formatted(acme, acme, admin, admin).getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(parsed.grants()).containsOnlyKeys(admin);
        assertThat(parsed.problems()).singleElement().asString().startsWith("line 2:").contains("line 1");
    }

    @Test
    void picksUpANewTokenAndARevocationWhenTheFileChanges() throws IOException {
        // given
        Path file = write(acme + " org:acme\n");
        try (TokensFile tokens = TokensFile.open(file, FAST)) {
            // when
            replace(file, admin + " admin\n");

            // then
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(tokens.lookup(admin)).contains(Principal.admin());
                assertThat(tokens.lookup(acme)).isEmpty();
            });
        }
    }

    @Test
    void revokesEveryTokenWhenTheFileIsDeletedAndRestoresThemWhenItReturns() throws IOException {
        // given
        Path file = write(acme + " org:acme\n");
        try (TokensFile tokens = TokensFile.open(file, FAST)) {
            // when
            Files.delete(file);

            // then
            await().atMost(Duration.ofSeconds(5)).until(() -> tokens.lookup(acme).isEmpty());
            assertThat(tokens.problems()).singleElement().asString().contains("revoked");

            // and when
            write(acme + " org:acme\n");

            // then
            await().atMost(Duration.ofSeconds(5)).until(() -> tokens.lookup(acme).isPresent());
        }
    }

    @Test
    void failsFastWhenTheFileDoesNotExistAtStart() {
        assertThatThrownBy(() -> TokensFile.open(dir.resolve("missing.txt")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing.txt");
    }

    @Test
    void ignoresLookupsThatAreNotDigests() throws IOException {
        try (TokensFile tokens = TokensFile.open(write(acme + " org:acme\n"), FAST)) {
            assertThat(tokens.lookup(acmeToken)).isEmpty();
            // the one digest rule (TokenDigests.isHexDigest): lowercase hex only, as the service computes it
            assertThat(tokens.lookup(acme.toUpperCase())).isEmpty();
            assertThat(tokens.lookup("")).isEqualTo(Optional.empty());
        }
    }

    @Test
    void refusesADigestInUppercaseHexWithAMessageThatSaysSo() {
        // when
        TokensFileParser.Parsed parsed = TokensFileParser.parse((acme.toUpperCase() + " org:acme\n" + admin + " admin\n")
                .getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(parsed.grants()).containsOnlyKeys(admin);
        assertThat(parsed.problems()).singleElement().asString().startsWith("line 1:")
                .contains(TokenDigests.digestProblem(acme.toUpperCase())).contains("lowercase");
    }

    @Test
    void readsOrgIdsWithTheCodecsRule() {
        // given: tabs and spaces are blank, U+3000 is not, a lone surrogate is invalid
        String content = String.join("\n",
                acme + "\torg:\t ACME \t# tabs around",
                admin + " org:Ac\u3000Me",
                TokenDigests.sha256Hex("c") + " org:ac",
                TokenDigests.sha256Hex("d") + " org:\u3000",
                TokenDigests.sha256Hex("e") + " org:" + "x".repeat(129)) + "\n";
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        // line 3 ends in the encoded lone surrogate U+D800 (ED A0 80), which UTF-8 forbids
        int endOfLine3 = content.substring(0, content.indexOf(" org:ac\n") + " org:ac".length())
                .getBytes(StandardCharsets.UTF_8).length;
        byte[] withLoneSurrogate = concat(java.util.Arrays.copyOfRange(bytes, 0, endOfLine3),
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                java.util.Arrays.copyOfRange(bytes, endOfLine3, bytes.length));

        // when
        TokensFileParser.Parsed parsed = TokensFileParser.parse(withLoneSurrogate);

        // then
        assertThat(parsed.grants().get(acme).principal()).isEqualTo(Principal.org("acme"));
        assertThat(parsed.grants().get(admin).principal()).isEqualTo(Principal.org("ac\u3000me"));
        assertThat(parsed.grants().get(TokenDigests.sha256Hex("d")).principal()).isEqualTo(Principal.org("\u3000"));
        // a lone surrogate cannot even be written as UTF-8: the line is not valid UTF-8
        assertThat(parsed.problems()).containsExactly("line 3: not valid UTF-8",
                "line 5: the org id must be 1..128 characters of valid Unicode, not blank");
    }

    @Test
    void refusesToFormatALineThatWouldNotReadBackAsTheSameOrg() {
        assertThatThrownBy(() -> TokensFile.formatLine(acme, Principal.org("acme #1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokens topic");
        assertThatThrownBy(() -> TokensFile.formatLine(acme, Principal.org("ac\nme")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokensFile.formatLine(acme, Principal.org("ACME")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokensFile.formatLine(acme.toUpperCase(), Principal.org("acme")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lowercase");
        assertThat(TokensFile.formatLine(acme, Principal.org("acme#1"))).isEqualTo(acme + " org:acme#1");
    }

    @Test
    void formatsTheLineThatGrantsAToken() {
        assertThat(TokensFile.formatLine(acme, Principal.org("acme"))).isEqualTo(acme + " org:acme");
        assertThat(TokensFile.formatLine(admin, Principal.admin())).isEqualTo(admin + " admin");
        assertThat(TokensFileParser.parse((TokensFile.formatLine(acme, Principal.org("acme")) + "\n")
                .getBytes(StandardCharsets.UTF_8)).grants().get(acme).principal()).isEqualTo(Principal.org("acme"));
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("tokens.txt"), content, StandardCharsets.UTF_8);
    }

    /** Replaces the file atomically, as an operator's editor or a config-map update does. */
    private void replace(Path file, String content) throws IOException {
        Path next = Files.writeString(dir.resolve("tokens.txt.next"), content, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
