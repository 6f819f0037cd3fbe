package dev.ingest.decide.api;

import static dev.ingest.decide.api.ApiExceptions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class PageRequestTest {

    @Test
    void defaultsAndClampsLimitAndOffset() {
        assertThat(PageRequest.of(null, null)).isEqualTo(new PageRequest(100, 0));
        assertThat(PageRequest.of("5000", "7")).isEqualTo(new PageRequest(1000, 7));
        assertThat(PageRequest.of("0", "")).isEqualTo(new PageRequest(1, 0));
        assertInvalid(() -> PageRequest.of("-1", null), "limit");
        assertInvalid(() -> PageRequest.of(null, "1; DROP TABLE team"), "offset");
    }

    @Test
    void linksToTheNeighbouringPages() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/projects/1/feature_flags/");
        request.setQueryString("limit=2&offset=2");

        Page<String> page = new PageRequest(2, 2).page(5, List.of("c", "d"), request);

        assertThat(page.count()).isEqualTo(5);
        assertThat(page.next()).isEqualTo("http://localhost/api/projects/1/feature_flags/?limit=2&offset=4");
        assertThat(page.previous()).isEqualTo("http://localhost/api/projects/1/feature_flags/?limit=2&offset=0");
        assertThat(new PageRequest(2, 4).page(5, List.of("e"), request).next()).isNull();
    }
}
