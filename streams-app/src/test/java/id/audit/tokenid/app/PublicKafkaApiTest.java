package id.audit.tokenid.app;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.topology.UsageTopology;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.schemas.ApiCallCodec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build rule of STYLE.md's "public extension points only": no class of the product (main
 * code of every module) refers to a type in an {@code internals} package of Kafka
 * ({@code org.apache.kafka.**.internals}, Streams' and the clients'). Those change between
 * releases without notice, and exactly-once must not rest on them.
 *
 * <p>It reads the compiled classes, not the sources: every type a class uses, imported, written
 * out in full or only in a signature it calls, is named in its constant pool as
 * {@code org/apache/kafka/.../internals/...}.
 */
class PublicKafkaApiTest {

    private static final Pattern INTERNAL = Pattern.compile("org/apache/kafka/[A-Za-z0-9_/$]*?/internals/[A-Za-z0-9_/$]+");

    @Test
    void noProductClassUsesAKafkaInternalsType() throws Exception {
        List<Path> roots = List.of(classesOf(UsageTopology.class), classesOf(ApiCallCodec.class),
                classesOf(OrgUsage.class));

        List<String> uses = new ArrayList<>();
        int classes = 0;
        for (Path root : roots) {
            classes += scan(root, uses);
        }

        assertThat(classes).as("classes read").isGreaterThan(100);
        assertThat(uses).as("Kafka internals used by the product").isEmpty();
    }

    private static Path classesOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Adds "class: internal type" for each use in the classes under root (a folder or a jar); returns how many classes it read. */
    private static int scan(Path root, List<String> uses) throws IOException {
        if (Files.isDirectory(root)) {
            return scanTree(root, uses);
        }
        try (FileSystem jar = FileSystems.newFileSystem(root)) {
            return scanTree(jar.getPath("/"), uses);
        }
    }

    private static int scanTree(Path root, List<String> uses) throws IOException {
        List<Path> classFiles;
        try (Stream<Path> files = Files.walk(root)) {
            classFiles = files.filter(file -> file.toString().endsWith(".class")).toList();
        }
        for (Path classFile : classFiles) {
            // Constant-pool names are modified UTF-8: ASCII as it is, so Latin-1 keeps them whole.
            Matcher matcher = INTERNAL.matcher(new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1));
            TreeSet<String> found = new TreeSet<>();
            while (matcher.find()) {
                found.add(matcher.group().replace('/', '.'));
            }
            found.forEach(type -> uses.add(root.relativize(classFile) + ": " + type));
        }
        return classFiles.size();
    }
}
