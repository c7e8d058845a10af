/**
 * {@code xsched example adoption}: a program written against {@link dev.xsched.hip.CommandQueue}
 * moving from a plain stream to a scheduled XQueue by changing only the object it submits to.
 */
package dev.xsched.examples.adoption;
