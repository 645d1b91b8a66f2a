package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The API's OpenAPI 3.1 document as the tests read it: its operations, and each response's schema (JSON Schema
 * 2020-12, checked by networknt's validator) to hold real answers against.
 */
final class OpenApiDocument {
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    private final JsonNode doc;
    /** JSON Schema 2020-12 (OpenAPI 3.1's), where the document's components travel beside the schema checked. */
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialect.builder(
            Dialects.getDraft202012()).keyword(new NonValidationKeyword("components")).build());

    private OpenApiDocument(JsonNode doc) {
        this.doc = doc;
    }

    /** The document the server serves, from its resource. */
    static OpenApiDocument load() throws IOException {
        return new OpenApiDocument(new ObjectMapper().readTree(OpenApi.document()));
    }

    JsonNode node() {
        return doc;
    }

    /** Every operation, as "METHOD /template" in the form {@link HttpApiServer#routes()} gives. */
    Set<String> operations() {
        var out = new LinkedHashSet<String>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> {
                if (METHODS.contains(m)) {
                    out.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        return out;
    }

    /** The response an operation documents for a status, its {@code $ref} followed; null when there is none. */
    JsonNode response(String method, String template, int status) {
        JsonNode operation = doc.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        assertTrue(operation.isObject(), method + " " + template + " is not documented");
        return resolve(operation.path("responses").get(Integer.toString(status)));
    }

    /**
     * Asserts that an answer is one the document gives for the operation: its status is listed, and a JSON body
     * validates against the schema given for it.
     */
    void assertConforms(String method, String template, RawHttp.Reply reply) {
        JsonNode response = response(method, template, reply.status());
        assertNotNull(response, method + " " + template + " answered a status it does not document: " + reply);
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            assertEquals(0, reply.body().length, "a body where the document has none: " + reply);
            return;
        }
        String type = reply.header("content-type");
        assertNotNull(type, "no Content-Type: " + reply);
        String mediaType = type.split(";")[0].strip();
        assertTrue(content.has(mediaType), method + " " + template + " answered " + mediaType + ", documented "
                + content.properties().stream().map(Map.Entry::getKey).toList());
        if (mediaType.equals("application/json")) {
            assertValid(content.get(mediaType).get("schema"), reply.json(), method + " " + template + " "
                    + reply.status());
        }
    }

    /** Whether the document's JSON request body schema for the operation accepts {@code json}. */
    boolean accepts(String method, String template, String json) throws IOException {
        JsonNode schema = doc.path("paths").path(template).path(method.toLowerCase(Locale.ROOT)).path("requestBody")
                .path("content").path("application/json").path("schema");
        assertTrue(schema.isObject(), method + " " + template + " documents no JSON body");
        return errors(schema, new ObjectMapper().readTree(json)).isEmpty();
    }

    /** Asserts that {@code value} is a valid {@code #/components/schemas/<name>}. */
    void assertComponent(String name, JsonNode value) {
        assertTrue(doc.path("components").path("schemas").has(name), "no component schema " + name);
        assertValid(new ObjectMapper().createObjectNode().put("$ref", "#/components/schemas/" + name), value, name);
    }

    /** The validation errors of {@code value} against one of the document's schemas. */
    List<String> errors(JsonNode schema, JsonNode value) {
        ObjectNode root = schema.deepCopy();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", doc.get("components"));
        Schema compiled = registry.getSchema(root);
        return compiled.validate(value).stream().map(Object::toString).toList();
    }

    private void assertValid(JsonNode schema, JsonNode value, String what) {
        List<String> errors = errors(schema, value);
        if (!errors.isEmpty()) {
            fail(what + " does not match its schema: " + errors + "\n" + value.toPrettyString());
        }
    }

    private JsonNode resolve(JsonNode node) {
        if (node == null || !node.has("$ref")) {
            return node;
        }
        String ref = node.get("$ref").asText();
        assertTrue(ref.startsWith("#/"), "only local references: " + ref);
        return resolve(doc.at(ref.substring(1)));
    }
}
