package dev.ingest.capture.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.web.bind.annotation.RequestMapping;

/** The metric label of each capture route (docs/posthog-compatibility.md#capture-routes-and-cors). */
class CaptureControllerTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/e, e",
        "/e/, e",
        "/i/v0/e, i_v0_e",
        "/i/v0/e/, i_v0_e",
        "/capture, capture",
        "/capture/, capture",
        "/track, track",
        "/track/, track",
        "/engage, engage",
        "/engage/, engage",
        "/batch, batch",
        "/batch/, batch"
    })
    void namesEachCaptureRoute(String path, String name) {
        assertThat(CaptureController.routeName(path)).isEqualTo(name);
    }

    @org.junit.jupiter.api.Test
    void everyMappedPathHasTheNameOfItsRoute() throws NoSuchMethodException {
        String[] paths = CaptureController.class.getMethod("capture", HttpServletRequest.class)
                .getAnnotation(RequestMapping.class).path();
        assertThat(Arrays.stream(paths).map(CaptureController::routeName).distinct())
                .containsExactlyInAnyOrder("e", "i_v0_e", "capture", "track", "engage", "batch");
    }
}
