package dev.ingest.plugin.apps;

/**
 * What an app knows about the event besides its JSON ({@code meta} of PostHog's {@code processEvent(event, meta)}).
 *
 * @param teamId the project
 * @param app the app's name, such as {@code geoip}
 * @param appConfigId the id of the app_config row that configured this app for the project (0 in tests)
 * @param eventUuid the event's uuid
 * @param distinctId the event's distinct id
 */
public record AppContext(long teamId, String app, long appConfigId, String eventUuid, String distinctId) {}
