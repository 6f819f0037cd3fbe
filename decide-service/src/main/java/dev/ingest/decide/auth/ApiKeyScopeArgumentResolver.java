package dev.ingest.decide.auth;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a handler parameter of type {@link ApiKeyScope} the caller's scope, as authenticated by
 * {@link ApiKeyInterceptor}; without it (a route the interceptor does not cover) the request is refused, never served
 * unauthenticated.
 */
public class ApiKeyScopeArgumentResolver implements HandlerMethodArgumentResolver {
    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType().equals(ApiKeyScope.class);
    }

    @Override
    public ApiKeyScope resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
            NativeWebRequest request, WebDataBinderFactory binderFactory) {
        if (request.getAttribute(ApiKeyInterceptor.SCOPE_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
                instanceof ApiKeyScope scope) {
            return scope;
        }
        throw new NotAuthenticatedException();
    }
}
