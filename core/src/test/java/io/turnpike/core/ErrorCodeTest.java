package io.turnpike.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void everyCodeIsOneSnakeCaseWordDefinedOnce() {
        List<String> codes = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList();

        assertThat(codes).allMatch(code -> code.matches("[a-z]+(_[a-z]+)*")).doesNotHaveDuplicates();
        assertThat(codes).allSatisfy(code -> assertThat(ErrorCode.fromCode(code).orElseThrow().code()).isEqualTo(code));
        assertThat(ErrorCode.fromCode("api.unauthorized")).as("a code from before the one family").isEmpty();
    }

    /** docs/errors.md is where an operator looks a code up: it lists every code with the status it is answered at. */
    @Test
    void theReferencePageListsEveryCodeWithItsStatuses() throws IOException {
        String page = Files.readString(Path.of(System.getProperty("turnpike.repo", "..")).resolve("docs/errors.md"));
        Matcher row = Pattern.compile("^\\| `([a-z_]+)` \\| (\\d{3}) \\| (\\d+) \\|", Pattern.MULTILINE).matcher(page);
        List<String> documented = new java.util.ArrayList<>();
        while (row.find()) {
            ErrorCode code = ErrorCode.fromCode(row.group(1)).orElseThrow(() -> new AssertionError(
                    "docs/errors.md lists " + row.group(1) + ", which is no code"));
            assertThat(List.of(Integer.parseInt(row.group(2)), Integer.parseInt(row.group(3)))).as(code.code())
                    .containsExactly(code.httpStatus(), code.exitStatus());
            documented.add(code.code());
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
    }
}
