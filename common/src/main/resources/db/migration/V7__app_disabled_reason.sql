-- Why plugin-service stopped running an app by itself (a JavaScript app that kept crashing its worker), shown by the
-- apps API; cleared when the app is enabled again.
ALTER TABLE app_config ADD COLUMN disabled_reason text;
