package id.audit.tokenid.app.it;

import java.util.Locale;
import java.util.Random;

/** How the traffic generators of the tests spell an id: mixed case and surrounding blanks. */
public final class IdSpellings {

    private IdSpellings() {
    }

    /** One of the spellings of {@code value} that the service must normalise to one series. */
    public static String vary(Random random, String value) {
        String cased = switch (random.nextInt(3)) {
            case 0 -> value.toUpperCase(Locale.ROOT);
            case 1 -> value;
            default -> Character.toUpperCase(value.charAt(0)) + value.substring(1);
        };
        return random.nextInt(10) == 0 ? "  " + cased + " " : cased;
    }
}
