/** The ratings commands: fit a rating model (complete), recommend, evaluate, cross-validate, export, and the MovieLens reproduction. */
package org.cdln.cli.ratings;
