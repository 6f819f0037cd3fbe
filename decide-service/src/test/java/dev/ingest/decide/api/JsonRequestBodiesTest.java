package dev.ingest.decide.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

class JsonRequestBodiesTest {

    @Test
    void acceptsJsonTypesAndPlainText() {
        assertThat(JsonRequestBodies.isJson(MediaType.APPLICATION_JSON)).isTrue();
        assertThat(JsonRequestBodies.isJson(MediaType.parseMediaType("application/json; charset=utf-8"))).isTrue();
        assertThat(JsonRequestBodies.isJson(MediaType.parseMediaType("application/merge-patch+json"))).isTrue();
        assertThat(JsonRequestBodies.isJson(MediaType.TEXT_PLAIN)).isTrue();
    }

    @Test
    void refusesFormsAndOtherTypes() {
        assertThat(JsonRequestBodies.isJson(MediaType.APPLICATION_FORM_URLENCODED)).isFalse();
        assertThat(JsonRequestBodies.isJson(MediaType.MULTIPART_FORM_DATA)).isFalse();
        assertThat(JsonRequestBodies.isJson(MediaType.APPLICATION_OCTET_STREAM)).isFalse();
    }
}
