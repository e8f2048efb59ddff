package id.audit.tokenid.exporter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenDigestsTest {

    @Test
    void digestsTokensAsLowercaseHexSha256() {
        // FIPS 180-2 test vector for "abc"
        assertThat(TokenDigests.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void digestsTheUtf8BytesOfTheToken() {
        assertThat(TokenDigests.sha256Hex("é")).isEqualTo(TokenDigests.sha256Hex("\u00e9"))
                .isNotEqualTo(TokenDigests.sha256Hex("e\u0301"));
    }

    @Test
    void recognisesHexDigestsOnly() {
        assertThat(TokenDigests.isHexDigest("ab".repeat(32))).isTrue();
        assertThat(TokenDigests.isHexDigest("AB".repeat(32))).isFalse();
        assertThat(TokenDigests.isHexDigest("Ab".repeat(32))).isFalse();
        assertThat(TokenDigests.isHexDigest("ab".repeat(31))).isFalse();
        assertThat(TokenDigests.isHexDigest("zz".repeat(32))).isFalse();
        assertThat(TokenDigests.isHexDigest(null)).isFalse();
    }

    @Test
    void explainsWhyADigestIsRefusedWithoutQuotingIt() {
        String upper = "AB".repeat(32);
        assertThat(TokenDigests.digestProblem("ab".repeat(32))).isNull();
        assertThat(TokenDigests.digestProblem(upper)).contains("uppercase").doesNotContain(upper);
        assertThat(TokenDigests.digestProblem("td_live_secret")).contains("64 lowercase hex").doesNotContain("secret");
        assertThat(TokenDigests.digestProblem(null)).isNotNull();
    }

    @Test
    void mintsLiveTokensWith32RandomBytesInBase64Url() {
        // when
        String token = Tokens.mint();

        // then
        assertThat(token).startsWith("td_live_").matches("td_live_[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token.substring("td_live_".length()))).hasSize(32);
    }

    @Test
    void mintsADifferentTokenEachTime() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add(Tokens.mint());
        }
        assertThat(tokens).hasSize(1000);
    }
}
