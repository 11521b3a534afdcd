// Public door of this feature folder; filled in as the feature lands.
export {};
