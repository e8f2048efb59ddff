package id.audit.tokenid.app.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.auth.Principal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenRecordTest {

    @Test
    void readsOrgAndAdminValuesWithTheCodecsOrgIdRule() {
        assertThat(TokenRecord.parseValue(json("{\"org_id\": \" ACME \", \"role\": \"org\"}")))
                .contains(Principal.org("acme"));
        assertThat(TokenRecord.parseValue(json("{\"org_id\": \"\\tAc\\u3000Me\\t\"}")))
                .contains(Principal.org("ac\u3000me"));
        assertThat(TokenRecord.parseValue(json("{\"role\": \" Admin \"}"))).contains(Principal.admin());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"org_id\": \"ac\\ud800me\"}",          // a lone surrogate: the codec refuses it too
            "{\"org_id\": \" \\t \"}",                 // blank
            "{\"org_id\": 42}",                         // not a string: the codec refuses it too
            "{\"org_id\": \"acme\", \"role\": \"member\"}",
            "{\"role\": \"org\"}",
            "[\"acme\"]",
            "not json"})
    void treatsAMalformedValueAsRevoked(String value) {
        assertThat(TokenRecord.parseValue(json(value))).isEmpty();
    }

    @Test
    void refusesAnOrgIdOver128CodePointsAsWritten() {
        assertThat(TokenRecord.parseValue(json("{\"org_id\": \"" + "x".repeat(128) + "\"}")))
                .contains(Principal.org("x".repeat(128)));
        assertThat(TokenRecord.parseValue(json("{\"org_id\": \" " + "x".repeat(128) + "\"}"))).isEmpty();
    }

    @Test
    void acceptsOnlyLowercaseHexKeys() {
        String digest = "ab".repeat(32);
        assertThat(TokenRecord.isDigest(digest)).isTrue();
        assertThat(TokenRecord.isDigest(digest.toUpperCase())).isFalse();
        assertThat(TokenRecord.isDigest(null)).isFalse();
    }

    @Test
    void writesTheValueItReads() {
        assertThat(TokenRecord.parseValue(json(TokenRecord.toJson(Principal.org("ac\u3000me")))))
                .contains(Principal.org("ac\u3000me"));
        assertThat(TokenRecord.parseValue(json(TokenRecord.toJson(Principal.admin())))).contains(Principal.admin());
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
