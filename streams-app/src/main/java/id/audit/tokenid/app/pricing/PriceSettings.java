package id.audit.tokenid.app.pricing;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the topology's prices come from: the rows of the prices file (the shipped table unless
 * {@code --prices-file} names another, which replaces it) and the compacted topic whose rows add
 * to or override them.
 */
public record PriceSettings(String topic, List<PriceRow> fileRows) {

    public static final String DEFAULT_TOPIC = "api-prices";

    public PriceSettings {
        Objects.requireNonNull(topic, "topic");
        fileRows = List.copyOf(fileRows);
    }

    /** The shipped table and the default topic (tests, benchmarks). */
    public static PriceSettings shipped() {
        return new PriceSettings(DEFAULT_TOPIC, PriceFile.shipped());
    }

    /**
     * Reads the prices file now, so that a broken one stops start-up with a line naming it.
     *
     * @throws IllegalArgumentException naming the file and line of the first error
     */
    public static PriceSettings load(Optional<Path> file, String topic) {
        return new PriceSettings(topic, file.map(PriceFile::read).orElseGet(PriceFile::shipped));
    }
}
