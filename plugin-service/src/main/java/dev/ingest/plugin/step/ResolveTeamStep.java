package dev.ingest.plugin.step;

import dev.ingest.plugin.pipeline.EventContext;
import dev.ingest.plugin.pipeline.PipelineStage;
import dev.ingest.plugin.pipeline.PipelineStep;
import dev.ingest.plugin.pipeline.StepResult;
import dev.ingest.plugin.team.Team;
import dev.ingest.plugin.team.TeamRepository;
import java.util.Optional;

/**
 * Finds the event's project by {@code team_id}, else by token (null bytes removed). Unknown projects are dropped
 * with the counted cause {@code invalid_token} (POSTHOG_SPEC §2.1); there is no project to warn.
 */
public final class ResolveTeamStep implements PipelineStep {
    private final TeamRepository teams;

    public ResolveTeamStep(TeamRepository teams) {
        this.teams = teams;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.RESOLVE_TEAM;
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        Long teamId = context.captured().teamId();
        String token = context.captured().token();
        Optional<Team> team;
        if (teamId != null) {
            team = teams.findById(teamId);
        } else if (token != null && !token.isEmpty()) {
            team = teams.findByToken(token.replace("\0", ""));
        } else {
            return StepResult.drop("invalid_token");
        }
        if (team.isEmpty()) {
            return StepResult.drop("invalid_token");
        }
        if (token != null && teamId != null && !token.replace("\0", "").equals(team.get().apiToken())) {
            // A message claiming a team it has no token for never crosses projects.
            return StepResult.drop("token_team_mismatch");
        }
        return StepResult.ok(context.withTeam(team.get()));
    }
}
