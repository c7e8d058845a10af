/**
 * Not API: the machinery of an XQueue (its buffer, releases, sync points, cooperative yield and
 * cross-queue waits) and of the scheduler's decision rounds. dev.xsched.core is the API.
 */
package dev.xsched.core.internal;
