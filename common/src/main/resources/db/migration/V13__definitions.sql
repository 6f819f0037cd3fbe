-- Event and property definitions (docs/posthog-compatibility.md#event-and-property-definitions), PostHog's taxonomy
-- (posthog_eventdefinition, posthog_propertydefinition, posthog_eventproperty): which events and properties each
-- project has sent, written by plugin-service from processed events and read by the management API.
CREATE TABLE event_definition (
    id           UUID         PRIMARY KEY,
    team_id      BIGINT       NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    name         VARCHAR(400) NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- Moved at most once an hour per definition.
    last_seen_at TIMESTAMPTZ  NOT NULL,
    CONSTRAINT event_definition_unique UNIQUE (team_id, name)
);

-- type: 1 event, 2 person, 3 group (then group_type_index is the group type); property_type: DateTime, String,
-- Numeric or Boolean as first detected, null when the first value said nothing (null, object, array).
CREATE TABLE property_definition (
    id               UUID         PRIMARY KEY,
    team_id          BIGINT       NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    name             VARCHAR(400) NOT NULL,
    type             SMALLINT     NOT NULL CONSTRAINT property_definition_type CHECK (type IN (1, 2, 3)),
    group_type_index SMALLINT,
    property_type    VARCHAR(50),
    is_numerical     BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX property_definition_unique
    ON property_definition (team_id, type, COALESCE(group_type_index, -1), name);

-- Which event properties appear on which events (event properties only).
CREATE TABLE event_property (
    id       BIGSERIAL    PRIMARY KEY,
    team_id  BIGINT       NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    event    VARCHAR(400) NOT NULL,
    property VARCHAR(400) NOT NULL,
    CONSTRAINT event_property_unique UNIQUE (team_id, event, property)
);
