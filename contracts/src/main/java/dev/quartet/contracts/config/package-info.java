/**
 * Signed configuration as its followers read it: the snapshot document, the shared verification of
 * a snapshot against a pinned trust root and a verified chain, and the routes of a body.
 */
package dev.quartet.contracts.config;
