"""The epidemic watch's code lists: diseases and the classes of the 7-day incidence (the choropleth)."""

from layers.vocabularies import Term, Vocabulary

DISEASE = Vocabulary(
    "disease",
    Term("dengue", "Sốt xuất huyết", "Dengue fever", "#D7301F"),
    Term("hfmd", "Tay chân miệng", "Hand, foot and mouth disease", "#FC8D59"),
    Term("covid19", "COVID-19", "COVID-19", "#7A0177"),
)

# Classes of cases per 100,000 inhabitants over 7 days (health.series.BANDS gives their bounds).
# "few" is 1 to 4 cases, whatever the rate: the class says "< 5" and reveals no count.
INCIDENCE_BAND = Vocabulary(
    "incidence_band",
    Term("none", "Không có ca", "No cases", "#F7F7F7"),
    Term("few", "Dưới 5 ca", "Fewer than 5 cases", "#969696"),
    Term("low", "Dưới 50 /100.000", "Below 50 per 100,000", "#CBC9E2"),
    Term("moderate", "50–150 /100.000", "50–150 per 100,000", "#9E9AC8"),
    Term("high", "150–300 /100.000", "150–300 per 100,000", "#6A51A3"),
    Term("very_high", "Từ 300 /100.000", "300 per 100,000 and above", "#3F007D"),
)
