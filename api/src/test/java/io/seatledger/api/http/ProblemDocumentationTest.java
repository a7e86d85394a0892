package io.seatledger.api.http;

import io.seatledger.messages.common.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/problems.md documents every code a problem can carry, under the anchor its {@code type} URI ends with:
 * a new {@link ErrorCode} cannot ship undocumented.
 */
class ProblemDocumentationTest {

    static final Path PAGE = Path.of("..", "docs", "problems.md");

    @Test
    void everyCodeHasASectionAtTheAnchorItsTypeNames() throws Exception {
        String page = Files.readString(PAGE);
        List<String> codes = new ArrayList<>(Arrays.stream(ErrorCode.values()).map(ErrorCode::name).toList());
        codes.add(Problem.INTERNAL_ERROR);
        for (String code : codes) {
            String type = Problem.type(code).toString();
            String anchor = type.substring(Problem.TYPE_BASE.length());
            String section = "<a id=\"" + anchor + "\"></a>\n## `" + code + "`\n";
            assertThat(page).as("docs/problems.md has a section for %s at #%s", code, anchor).contains(section);
            String body = page.substring(page.indexOf(section) + section.length());
            body = body.substring(0, body.contains("<a id=") ? body.indexOf("<a id=") : body.length());
            int status = code.equals(Problem.INTERNAL_ERROR) ? 500 : ErrorCode.valueOf(code).httpStatus();
            assertThat(body).as("the section of %s", code)
                    .contains("**HTTP " + status + "**").contains("**What to do:**")
                    .contains("\"type\": \"" + type + "\"").contains("\"code\": \"" + code + "\"").contains("\"status\": " + status)
                    .contains("\"requestId\"").contains("\"instance\"");
        }
    }
}
