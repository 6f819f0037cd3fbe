package dev.ingest.plugin.ingestion.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElementsChainTest {
    @Test
    void matchesPostHogsChainForTheTestVectorElements() {
        List<ElementsChain.Element> elements = List.of(
                new ElementsChain.Element("a", "bla bla", "/a-url", List.of("small"), null, 1, 0, Map.of("prop", "value",
                        "number", "33", "data-attr", "something \" that; could mess up", "style", "min-height: 100vh;")),
                new ElementsChain.Element("button", null, null, List.of("btn", "btn-primary"), null, 0, 0, Map.of()),
                new ElementsChain.Element("div", null, null, null, null, 0, 0, Map.of()),
                new ElementsChain.Element("div", null, null, null, "nested", 0, 0, Map.of()));
        assertThat(ElementsChain.toChain(elements)).isEqualTo(String.join(";",
                "a.small:data-attr=\"something \\\" that; could mess up\"href=\"/a-url\"nth-child=\"1\"nth-of-type=\"0\""
                        + "number=\"33\"prop=\"value\"style=\"min-height: 100vh;\"text=\"bla bla\"",
                "button.btn.btn-primary:nth-child=\"0\"nth-of-type=\"0\"",
                "div:nth-child=\"0\"nth-of-type=\"0\"",
                "div:attr_id=\"nested\"nth-child=\"0\"nth-of-type=\"0\""));
    }

    @Test
    void extractsPostHogJsElementsWithTheirAttrPrefixedAttributes() {
        String elements = "[{\"tag_name\":\"button\",\"$el_text\":\"Buy now\",\"attr__class\":\"btn btn-primary\","
                + "\"attr__id\":\"buy\",\"attr__type\":\"button\",\"attr__data-attr\":\"buy-button\",\"nth_child\":1,\"nth_of_type\":1},"
                + "{\"tag_name\":\"div\",\"attr__class\":\"shop\",\"nth_child\":2,\"nth_of_type\":1},"
                + "{\"tag_name\":\"body\",\"nth_child\":2,\"nth_of_type\":1}]";
        // The chain posthog-js itself computes for the same click (recorded from posthog-js 1.449 in Chromium).
        assertThat(ElementsChain.toChain(ElementsChain.extract(Json.read(elements)))).isEqualTo(
                "button.btn.btn-primary:attr__class=\"btn btn-primary\"attr__data-attr=\"buy-button\"attr__id=\"buy\""
                        + "attr__type=\"button\"attr_id=\"buy\"nth-child=\"1\"nth-of-type=\"1\"text=\"Buy now\";"
                        + "div.shop:attr__class=\"shop\"nth-child=\"2\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"");
    }

    @Test
    void truncatesLongTextAndHrefAndIgnoresNonObjects() {
        String text = "t".repeat(500);
        String href = "h".repeat(3000);
        List<ElementsChain.Element> elements = ElementsChain.extract(Json.read("[1, null, {\"tag_name\":\"a\",\"$el_text\":\""
                + text + "\",\"attr__href\":\"" + href + "\"}]"));
        assertThat(elements).hasSize(1);
        assertThat(elements.getFirst().text()).hasSize(400);
        assertThat(elements.getFirst().href()).hasSize(2048);
    }
}
