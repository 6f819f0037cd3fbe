package dev.ingest.decide.api;

import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Request bodies of the management API are JSON. A body sent as a form ({@code curl -d} without a Content-Type)
 * reaches the controller re-encoded from the servlet's form parameters, so it is refused up front with PostHog's 415
 * rather than answered with a puzzling parse error. No Content-Type at all is read as JSON.
 */
@ControllerAdvice(basePackageClasses = JsonRequestBodies.class)
public class JsonRequestBodies extends RequestBodyAdviceAdapter {
    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        MediaType type = message.getHeaders().getContentType();
        if (type != null && !isJson(type)) {
            throw new ApiException(415, "invalid_request", "unsupported_media_type", "Unsupported media type \""
                    + type + "\" in request. Send JSON with Content-Type: application/json.", null);
        }
        return message;
    }

    static boolean isJson(MediaType type) {
        return type.isCompatibleWith(MediaType.APPLICATION_JSON)
                || type.getSubtype().endsWith("+json")
                || type.isCompatibleWith(MediaType.TEXT_PLAIN);
    }
}
