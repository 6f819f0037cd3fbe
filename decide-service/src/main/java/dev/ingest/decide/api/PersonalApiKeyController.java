package dev.ingest.decide.api;

import dev.ingest.decide.auth.ApiKeyScope;
import dev.ingest.decide.auth.PersonalApiKeyValues;
import dev.ingest.decide.store.ApiKeyRepository;
import dev.ingest.decide.store.ApiKeyRow;
import dev.ingest.decide.store.ProjectRepository;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/personal_api_keys/}: personal API keys ({@code phx_...}). The key is shown once, in the answer to its
 * creation; only its SHA-256 is stored. A key never grants more than the key that created it: a scoped key creates
 * keys scoped within its own projects, and sees (and revokes) only such keys.
 */
@RestController
@RequestMapping(produces = "application/json")
public class PersonalApiKeyController {
    private static final Logger log = LoggerFactory.getLogger(PersonalApiKeyController.class);
    private static final String KEYS = "/api/personal_api_keys";
    private static final String KEY = KEYS + "/{keyId}";

    private final ApiKeyRepository keys;
    private final ProjectRepository projects;

    public PersonalApiKeyController(ApiKeyRepository keys, ProjectRepository projects) {
        this.keys = Objects.requireNonNull(keys, "keys is null");
        this.projects = Objects.requireNonNull(projects, "projects is null");
    }

    @PostMapping({KEYS, KEYS + "/"})
    public ResponseEntity<PersonalApiKeyResponse> create(ApiKeyScope scope,
            @RequestBody(required = false) byte[] body) {
        PersonalApiKeyInput input = PersonalApiKeyInput.forCreate(RequestJson.object(body));
        if (!within(input.scopedTeams(), scope)) {
            throw ApiException.permissionDenied("A key scoped to projects can only create keys scoped within them"
                    + " (scoped_teams must be a non-empty subset of " + new TreeSet<>(scope.teams()) + ").");
        }
        if (input.scopedTeams() != null) {
            Set<Long> missing = new TreeSet<>(input.scopedTeams());
            projects.existing(input.scopedTeams()).forEach(missing::remove);
            if (!missing.isEmpty()) {
                throw ApiException.invalid("scoped_teams", "These projects do not exist: " + missing + ".");
            }
        }
        String value = PersonalApiKeyValues.generate();
        ApiKeyRow created = keys.insert(input.label(), PersonalApiKeyValues.hash(value),
                PersonalApiKeyValues.mask(value), input.scopedTeams());
        log.info("personal API key {} ({}) created by key {}, scoped to {}", created.id(), created.maskValue(),
                scope.keyId(), input.scopedTeams() == null ? "every project" : input.scopedTeams());
        return ResponseEntity.status(HttpStatus.CREATED).body(PersonalApiKeyResponse.of(created, value));
    }

    /** The keys the caller may see (masks only), newest first; a plain list, as PostHog answers it. */
    @GetMapping({KEYS, KEYS + "/"})
    public List<PersonalApiKeyResponse> list(ApiKeyScope scope) {
        return keys.list().stream()
                .filter(key -> within(key.scopedTeams(), scope))
                .map(key -> PersonalApiKeyResponse.of(key, null))
                .toList();
    }

    @GetMapping({KEY, KEY + "/"})
    public PersonalApiKeyResponse get(ApiKeyScope scope, @PathVariable long keyId) {
        return PersonalApiKeyResponse.of(visible(scope, keyId), null);
    }

    /** Revokes a key at once (the next request with it is a 401). */
    @DeleteMapping({KEY, KEY + "/"})
    public ResponseEntity<Void> delete(ApiKeyScope scope, @PathVariable long keyId) {
        ApiKeyRow key = visible(scope, keyId);
        if (!keys.delete(key.id())) {
            throw ApiException.notFound();
        }
        log.info("personal API key {} ({}) revoked by key {}", key.id(), key.maskValue(), scope.keyId());
        return ResponseEntity.noContent().build();
    }

    private ApiKeyRow visible(ApiKeyScope scope, long keyId) {
        return keys.find(keyId).filter(key -> within(key.scopedTeams(), scope)).orElseThrow(ApiException::notFound);
    }

    /** Whether a key scoped to {@code teams} (null: every project) grants nothing beyond {@code scope}. */
    static boolean within(Set<Long> teams, ApiKeyScope scope) {
        if (scope.teams() == null) {
            return true;
        }
        return teams != null && !teams.isEmpty() && scope.teams().containsAll(teams);
    }
}
