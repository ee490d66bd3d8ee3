package io.turnpike.http.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.core.TurnpikeException;
import io.turnpike.http.JsonObjectReader;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every JSON body and message a stranger sends is read with {@link JsonObjectReader}: whatever the bytes, parsing
 * and each typed accessor either give a value or refuse with a coded input error ({@link JsonObjectReader.BadJson}
 * or an amount out of range), never another exception. Each accessor reads the field named after it, so a corpus
 * entry such as {@code {"amount":"1e999999"}} steers the fuzzer at one of them. Run as a campaign with
 * {@code ./turnpike fuzz JsonObjectReaderFuzzTest}.
 */
class JsonObjectReaderFuzzTest {

    private static final List<Consumer<JsonObjectReader>> ACCESSORS = List.of(
            json -> json.string("string"),
            json -> json.bool("bool"),
            json -> json.optionalBool("optionalBool"),
            json -> json.integer("integer"),
            json -> json.integer("small", 1_000),
            json -> json.optionalString("optionalString"),
            json -> json.optionalDecimalAmount("optionalDecimalAmount"),
            json -> json.optionalInteger("optionalInteger"),
            json -> json.decimalLong("decimalLong"),
            json -> json.decimalAmount("decimalAmount"),
            json -> json.decimalAmounts("decimalAmounts", 4),
            json -> json.integers("integers", 4),
            json -> json.amount("amount"),
            json -> json.address("address"),
            json -> json.bytes32("bytes32"),
            json -> json.signature("signature"),
            json -> json.optionalInstant("optionalInstant"),
            json -> json.object("object").refuseOthers(),
            json -> json.objects("objects", 4).forEach(JsonObjectReader::refuseOthers),
            json -> json.strings("strings"));

    @FuzzTest(maxDuration = "30s")
    void readsEveryFieldOrRefusesWithACode(byte[] body) {
        JsonObjectReader json;
        try {
            json = JsonObjectReader.parse(body);
        } catch (TurnpikeException refused) {
            FuzzedBodies.assertInputRefusal(refused);
            return;
        }
        for (Consumer<JsonObjectReader> accessor : ACCESSORS) {
            try {
                accessor.accept(json);
            } catch (TurnpikeException refused) {
                FuzzedBodies.assertInputRefusal(refused);
            }
        }
        try {
            json.refuseOthers();
        } catch (TurnpikeException refused) {
            FuzzedBodies.assertInputRefusal(refused);
        }
    }
}
