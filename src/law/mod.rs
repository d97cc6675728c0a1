//! The rules of the Code général des collectivités territoriales (CGCT) as dated, cited tables.
