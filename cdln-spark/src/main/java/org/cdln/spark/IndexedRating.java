package org.cdln.spark;

import java.io.Serializable;

/** One rating with dense user and item indices, and whether it belongs to the validation share. */
record IndexedRating(int user, int item, double rating, boolean validation) implements Serializable {
}
