package io.recon.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The test classes tagged {@code own-profile} and those named in {@code src/test/own-profile-tests.txt}
 * are the same: the build selects by both (pom.xml), so a class in one and not the other would run
 * twice, in the wrong JVM, or not at all.
 */
class OwnProfileListTest {

    private static final Path SOURCES = Path.of("src/test/java");
    private static final Path LIST = Path.of("src/test/own-profile-tests.txt");

    @Test
    void theListNamesExactlyTheClassesTaggedOwnProfile() throws IOException {
        assertEquals(taggedClasses(), listedClasses(),
                "tagged @Tag(\"own-profile\") (left) against " + LIST + " (right)");
    }

    private static Set<String> taggedClasses() throws IOException {
        Set<String> tagged = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                if (Files.readString(file).contains("@Tag(\"own-profile\")")) {
                    tagged.add(SOURCES.relativize(file).toString().replace('\\', '/'));
                }
            }
        }
        return tagged;
    }

    private static Set<String> listedClasses() throws IOException {
        Set<String> listed = new TreeSet<>();
        List<String> lines = Files.readAllLines(LIST);
        for (String line : lines) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            listed.add(pattern.startsWith("**/") ? pattern.substring(3) : pattern);
        }
        return listed;
    }
}
