package dev.ingest.plugin.ingestion.heatmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The previous page's URL as {@code new URL(current); url.pathname = previous} serialises it. */
class PageUrlsTest {
    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://a.example/now                 | /before          | https://a.example/before
            https://a.example/now?x=1#h           | /before          | https://a.example/before?x=1#h
            HTTP://A.Example:80/now               | /b               | http://a.example/b
            https://a.example:8443/now            | /b               | https://a.example:8443/b
            https://user:pw@a.example/now         | /b               | https://user:pw@a.example/b
            https://a.example                     | b                | https://a.example/b
            https://a.example/now                 | /caf\u00e9 <1>?     | https://a.example/caf%C3%A9%20%3C1%3E%3F
            https://a.example/now                 | /already%20coded | https://a.example/already%20coded
            http://[::1]:8000/now                 | /b               | http://[::1]:8000/b
            """)
    void replacesThePathAndKeepsTheRest(String url, String path, String expected) {
        assertThat(PageUrls.withPath(url, path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/relative/path", "no scheme", ""})
    void refusesWhatIsNotAnAbsoluteUrl(String url) {
        assertThatThrownBy(() -> PageUrls.withPath(url, "/b")).isInstanceOf(IllegalArgumentException.class);
    }
}
