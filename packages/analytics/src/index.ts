/**
 * @vigil/analytics: the security center (alerts, recommendations, threat intelligence).
 */
export {};
