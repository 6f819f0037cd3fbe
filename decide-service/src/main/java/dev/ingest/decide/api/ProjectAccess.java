package dev.ingest.decide.api;

import dev.ingest.decide.auth.ApiKeyScope;
import dev.ingest.decide.store.ProjectRepository;
import java.util.Objects;
import org.springframework.stereotype.Component;

/** The first check of every project route: the key's scope (403), then the project's existence (404). */
@Component
public class ProjectAccess {
    private final ProjectRepository projects;

    public ProjectAccess(ProjectRepository projects) {
        this.projects = Objects.requireNonNull(projects, "projects is null");
    }

    public void require(ApiKeyScope scope, long projectId) {
        if (!scope.allows(projectId)) {
            throw ApiException.permissionDenied("This API key does not have access to project " + projectId + ".");
        }
        if (!projects.exists(projectId)) {
            throw ApiException.notFound();
        }
    }
}
