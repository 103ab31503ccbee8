"""Registration cards, journals and numbers, the case nomenclature and retention."""
