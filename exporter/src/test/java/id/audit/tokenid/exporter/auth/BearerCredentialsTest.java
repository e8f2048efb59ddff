package id.audit.tokenid.exporter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerCredentialsTest {

    @Test
    void acceptsABearerTokenWithTheSchemeInAnyCase() {
        assertThat(BearerCredentials.parse("Bearer td_live_abc")).isEqualTo(new BearerCredentials.Token("td_live_abc"));
        assertThat(BearerCredentials.parse("bEaReR td_live_abc")).isEqualTo(new BearerCredentials.Token("td_live_abc"));
    }

    @Test
    void treatsAnAbsentHeaderAsMissing() {
        assertThat(BearerCredentials.parse((List<String>) null)).isInstanceOf(BearerCredentials.Missing.class);
        assertThat(BearerCredentials.parse(List.of())).isInstanceOf(BearerCredentials.Missing.class);
    }

    @Test
    void rejectsOtherSchemesEmptyTokensAndTokensWithSpaces() {
        assertThat(BearerCredentials.parse("Basic dXNlcjpwYXNz")).isInstanceOf(BearerCredentials.Malformed.class);
        assertThat(BearerCredentials.parse("Bearer")).isInstanceOf(BearerCredentials.Malformed.class);
        assertThat(BearerCredentials.parse("Bearer ")).isInstanceOf(BearerCredentials.Malformed.class);
        assertThat(BearerCredentials.parse("Bearer a b")).isInstanceOf(BearerCredentials.Malformed.class);
        assertThat(BearerCredentials.parse("Bearertd_live_abc")).isInstanceOf(BearerCredentials.Malformed.class);
        assertThat(BearerCredentials.parse("")).isInstanceOf(BearerCredentials.Malformed.class);
    }

    @Test
    void rejectsTokensThatAreTooLongOrNotVisibleAscii() {
        assertThat(BearerCredentials.parse("Bearer " + "a".repeat(512))).isInstanceOf(BearerCredentials.Token.class);
        assertThat(BearerCredentials.parse("Bearer " + "a".repeat(513))).isInstanceOf(BearerCredentials.Malformed.class);
        assertThat(BearerCredentials.parse("Bearer td_live_é")).isInstanceOf(BearerCredentials.Malformed.class);
        assertThat(BearerCredentials.parse("Bearer a\tb")).isInstanceOf(BearerCredentials.Malformed.class);
    }

    @Test
    void rejectsARepeatedAuthorizationHeader() {
        assertThat(BearerCredentials.parse(List.of("Bearer a", "Bearer b"))).isInstanceOf(BearerCredentials.Malformed.class);
    }

    @Test
    void neverPrintsTheToken() {
        assertThat(new BearerCredentials.Token("td_live_secret").toString()).doesNotContain("secret");
    }
}
