package io.seatledger.api.settings;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * docs/configuration.md and the settings the service has say the same: every {@code seatledger.*} property in the
 * configuration metadata (generated from {@link SeatLedgerProperties}, plus the few read before the context exists)
 * is documented, and every {@code seatledger.*} name the page mentions exists (a group such as
 * {@code seatledger.embedded.*} when some setting belongs to it).
 */
class ConfigurationDocsTest {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
    private static final Path DOCS = Path.of("../docs/configuration.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everySettingIsDocumentedAndTheDocsNameNoOtherSetting() throws IOException {
        Set<String> settings = settings();
        Set<String> documented = documented();

        assertThat(settings).as("the metadata holds the settings (built by spring-boot-configuration-processor)")
                .contains("seatledger.data-dir", "seatledger.embedded.enabled", "seatledger.rate-limit.api.burst");
        Set<String> undocumented = new TreeSet<>(settings);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeIf(name -> settings.contains(name) || isGroupOf(name, settings));
        assertSoftly(softly -> {
            softly.assertThat(undocumented).as("settings missing from docs/configuration.md").isEmpty();
            softly.assertThat(unknown).as("names in docs/configuration.md that are no setting").isEmpty();
        });
    }

    private static Set<String> settings() throws IOException {
        assertThat(METADATA).as("%s, written when api compiles", METADATA).exists();
        Set<String> names = new TreeSet<>();
        for (JsonNode property : JsonMapper.builder().build().readTree(METADATA.toFile()).get("properties")) {
            String name = property.get("name").asString();
            if (name.startsWith("seatledger.")) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The {@code seatledger.*} names in backticks anywhere on the page. In a table's first cell {@code `.sibling`}
     * after a full name stands for that name with its last part replaced ({@code `seatledger.stream.max-per-organization`,
     * `.max-per-user`}); a name with a placeholder ({@code organizations.<orgId>.api.*}) stands for the map before it.
     */
    private static Set<String> documented() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(DOCS)) {
            String[] cells = line.split("\\|");
            String firstCell = line.startsWith("|") && cells.length > 1 ? cells[1] : "";
            String previous = null;
            Matcher code = CODE.matcher(firstCell);
            while (code.find()) {
                String token = code.group(1).strip();
                if (token.startsWith("seatledger.")) {
                    previous = token;
                } else if (token.startsWith(".") && previous != null) {
                    previous = previous.substring(0, previous.lastIndexOf('.')) + token;
                } else {
                    continue;
                }
                names.add(withoutPlaceholder(previous));
            }
            Matcher anywhere = CODE.matcher(line);
            while (anywhere.find()) {
                String token = anywhere.group(1).strip();
                if (token.startsWith("seatledger.")) {
                    names.add(withoutPlaceholder(token.split("=")[0]));
                }
            }
        }
        return names;
    }

    /** {@code seatledger.embedded.*} names a group of settings: some setting must start with it. */
    private static boolean isGroupOf(String name, Set<String> settings) {
        return name.endsWith(".*") && settings.stream().anyMatch(setting -> setting.startsWith(name.substring(0, name.length() - 1)));
    }

    private static String withoutPlaceholder(String name) {
        int placeholder = name.indexOf(".<");
        return placeholder < 0 ? name : name.substring(0, placeholder);
    }
}
