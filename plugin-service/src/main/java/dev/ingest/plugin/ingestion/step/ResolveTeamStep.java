package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.team.Team;
import dev.ingest.plugin.ingestion.team.TeamRepository;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the event's project by {@code team_id}, else by token (null bytes removed), and trusts it only when the
 * message's token is that project's: a message without a token ({@code missing_token}) or whose token belongs to
 * another project ({@code token_team_mismatch}) is dropped, as are unknown projects ({@code invalid_token}); each
 * cause is counted, and there is no project to warn.
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
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.PARSE_MESSAGE);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        Long teamId = context.captured().teamId();
        String token = context.captured().token() == null ? "" : context.captured().token().replace("\0", "");
        if (token.isEmpty()) {
            // A team id alone is not trusted: anyone who can write to the topic could name any project.
            return StepResult.drop("missing_token");
        }
        Optional<Team> team = teamId != null ? teams.findById(teamId) : teams.findByToken(token);
        if (team.isEmpty()) {
            return StepResult.drop("invalid_token");
        }
        if (!token.equals(team.get().apiToken())) {
            // A message claiming a team it has no token for never crosses projects.
            return StepResult.drop("token_team_mismatch");
        }
        return StepResult.ok(context.withTeam(team.get()));
    }
}
