/** Data readers and splits: ratings files (with line-and-field errors), id mappings, IDX image files, the scikit-learn digits. */
package org.cdln.data;
