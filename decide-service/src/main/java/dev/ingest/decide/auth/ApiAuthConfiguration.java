package dev.ingest.decide.auth;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every {@code /api/} route needs a personal API key, except local evaluation, which authenticates on its own
 * (PostHog's SDKs send a personal key and the project token there, and answer its 401 differently).
 */
@Configuration(proxyBeanMethods = false)
public class ApiAuthConfiguration implements WebMvcConfigurer {
    /** Routes under {@code /api/} that this interceptor leaves alone. */
    public static final List<String> UNAUTHENTICATED_API_ROUTES =
            List.of("/api/feature_flag/local_evaluation", "/api/feature_flag/local_evaluation/");

    private final PersonalApiKeys keys;

    public ApiAuthConfiguration(PersonalApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ApiKeyInterceptor(keys))
                .addPathPatterns("/api", "/api/**")
                .excludePathPatterns(UNAUTHENTICATED_API_ROUTES);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new ApiKeyScopeArgumentResolver());
    }
}
