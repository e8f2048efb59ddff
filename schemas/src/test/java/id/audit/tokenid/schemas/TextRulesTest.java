package id.audit.tokenid.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one org-id rule that the codec, the tokens file, the token topic and the CLI share. */
class TextRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"acme", " ACME ", "Acme", "\tacme\t", "\r\n AcMe \u0000"})
    void normalisesEverySpellingOfOneOrgToTheSameId(String raw) {
        assertThat(TextRules.orgIdOrNull(raw)).isEqualTo("acme");
    }

    @Test
    void keepsAnIdeographicSpaceBecauseItIsNotBlank() {
        assertThat(TextRules.orgIdOrNull(" AC\u3000ME ")).isEqualTo("ac\u3000me");
        assertThat(TextRules.orgIdOrNull("\u3000")).isEqualTo("\u3000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\r\n", "\u0000\u0020"})
    void refusesBlankOrgIds(String raw) {
        assertThat(TextRules.orgIdOrNull(raw)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ac\uD800me", "acme\uDC00", "\uD83D"})
    void refusesLoneSurrogates(String raw) {
        assertThat(TextRules.orgIdOrNull(raw)).isNull();
    }

    @Test
    void countsTheLengthInCodePointsAsWritten() {
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        assertThat(TextRules.orgIdOrNull(emoji.repeat(128))).isEqualTo(emoji.repeat(128));
        assertThat(TextRules.orgIdOrNull("x".repeat(128))).isEqualTo("x".repeat(128));
        assertThat(TextRules.orgIdOrNull("x".repeat(129))).isNull();
        // as the codec does, the length is the id's as written: surrounding spaces count
        assertThat(TextRules.orgIdOrNull(" " + "x".repeat(128))).isNull();
        assertThat(TextRules.orgIdOrNull(null)).isNull();
    }

    @Test
    void agreesWithTheCodecOnEverySpelling() {
        for (String raw : new String[] {" ACME ", "\tAcme", "ac\u3000me", "ac\uD800me", " ", "x".repeat(129)}) {
            String json = "{\"org_id\": \"" + raw.replace("\t", "\\t").replace("\uD800", "\\ud800") + "\"}";
            DecodeResult decoded = ApiCallCodec.decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String viaCodec = decoded instanceof ApiCallEvent event ? event.orgId() : null;
            assertThat(viaCodec).as(json).isEqualTo(TextRules.orgIdOrNull(raw));
        }
    }
}
