// Public door of the agent package; filled in as the agent lands.
export {};
