/**
 * Test fixture: the duration pattern of the official twin schema
 * (`azureiotsecurity_schema_definitions.json` → `definitions.TimeConfiguration.properties.value.pattern`),
 * copied verbatim so the duration tests run without the reference folder. The twin-config oracle test
 * checks this copy against the file whenever the folder is there.
 */
export const SCHEMA_DURATION_PATTERN =
  '^P(?!$)((\\d+Y)|(\\d+\\.\\d+Y$))?((\\d+M)|(\\d+\\.\\d+M$))?((\\d+W)|(\\d+\\.\\d+W$))?((\\d+D)|(\\d+\\.\\d+D$))?(T(?=\\d)((\\d+H)|(\\d+\\.\\d+H$))?((\\d+M)|(\\d+\\.\\d+M$))?(\\d+(\\.\\d+)?S)?)??$';

/** The pattern compiled as Ajv compiles it (`u` flag). */
export const SCHEMA_DURATION_REGEXP = new RegExp(SCHEMA_DURATION_PATTERN, 'u');
