"""The reflex point catalogue's names, for translation. The catalogue lives in the database
(loaded by migration from sessions/data/reflex_points.yaml), so makemessages cannot see its
names: this table marks each one, keyed by the English name the rows hold, and `translated`
turns a stored name into the active language at display time. A name missing here (a new
catalogue entry) shows in English; tests/sessions/test_reflex_point_names.py keeps the table in
step with the YAML."""

from reflexbook.lib.translation import pgettext_lazy

NAMES = {
    "Brain / top of head": pgettext_lazy("reflex point", "Brain / top of head"),
    "Pituitary": pgettext_lazy("reflex point", "Pituitary"),
    "Pineal / hypothalamus": pgettext_lazy("reflex point", "Pineal / hypothalamus"),
    "Sinuses": pgettext_lazy("reflex point", "Sinuses"),
    "Neck / throat": pgettext_lazy("reflex point", "Neck / throat"),
    "Cervical spine": pgettext_lazy("reflex point", "Cervical spine"),
    "Eyes": pgettext_lazy("reflex point", "Eyes"),
    "Ears": pgettext_lazy("reflex point", "Ears"),
    "Eustachian tube / inner ear": pgettext_lazy("reflex point", "Eustachian tube / inner ear"),
    "Teeth / jaw / face": pgettext_lazy("reflex point", "Teeth / jaw / face"),
    "Thyroid": pgettext_lazy("reflex point", "Thyroid"),
    "Parathyroids": pgettext_lazy("reflex point", "Parathyroids"),
    "Trapezius / upper shoulders": pgettext_lazy("reflex point", "Trapezius / upper shoulders"),
    "Lungs / chest": pgettext_lazy("reflex point", "Lungs / chest"),
    "Heart": pgettext_lazy("reflex point", "Heart"),
    "Shoulder": pgettext_lazy("reflex point", "Shoulder"),
    "Upper lymphatics": pgettext_lazy("reflex point", "Upper lymphatics"),
    "Chest / breast / upper back": pgettext_lazy("reflex point", "Chest / breast / upper back"),
    "Diaphragm": pgettext_lazy("reflex point", "Diaphragm"),
    "Solar plexus": pgettext_lazy("reflex point", "Solar plexus"),
    "Liver": pgettext_lazy("reflex point", "Liver"),
    "Gallbladder": pgettext_lazy("reflex point", "Gallbladder"),
    "Stomach": pgettext_lazy("reflex point", "Stomach"),
    "Pancreas": pgettext_lazy("reflex point", "Pancreas"),
    "Spleen": pgettext_lazy("reflex point", "Spleen"),
    "Duodenum": pgettext_lazy("reflex point", "Duodenum"),
    "Adrenal gland": pgettext_lazy("reflex point", "Adrenal gland"),
    "Kidney": pgettext_lazy("reflex point", "Kidney"),
    "Thoracic spine": pgettext_lazy("reflex point", "Thoracic spine"),
    "Arm": pgettext_lazy("reflex point", "Arm"),
    "Elbow": pgettext_lazy("reflex point", "Elbow"),
    "Transverse colon": pgettext_lazy("reflex point", "Transverse colon"),
    "Small intestine": pgettext_lazy("reflex point", "Small intestine"),
    "Ascending colon": pgettext_lazy("reflex point", "Ascending colon"),
    "Ileocecal valve": pgettext_lazy("reflex point", "Ileocecal valve"),
    "Appendix": pgettext_lazy("reflex point", "Appendix"),
    "Descending colon": pgettext_lazy("reflex point", "Descending colon"),
    "Sigmoid colon": pgettext_lazy("reflex point", "Sigmoid colon"),
    "Rectum / anus": pgettext_lazy("reflex point", "Rectum / anus"),
    "Ureter": pgettext_lazy("reflex point", "Ureter"),
    "Bladder": pgettext_lazy("reflex point", "Bladder"),
    "Lumbar spine": pgettext_lazy("reflex point", "Lumbar spine"),
    "Knee / leg": pgettext_lazy("reflex point", "Knee / leg"),
    "Sciatic nerve": pgettext_lazy("reflex point", "Sciatic nerve"),
    "Pelvis / buttocks": pgettext_lazy("reflex point", "Pelvis / buttocks"),
    "Sacrum / coccyx": pgettext_lazy("reflex point", "Sacrum / coccyx"),
    "Hip": pgettext_lazy("reflex point", "Hip"),
    "Uterus / prostate": pgettext_lazy("reflex point", "Uterus / prostate"),
    "Ovary / testis": pgettext_lazy("reflex point", "Ovary / testis"),
    "Groin lymph / fallopian tube / vas deferens": pgettext_lazy(
        "reflex point", "Groin lymph / fallopian tube / vas deferens"
    ),
    "Head / brain": pgettext_lazy("reflex point", "Head / brain"),
    "Neck / thyroid": pgettext_lazy("reflex point", "Neck / thyroid"),
    "Eyes / ears": pgettext_lazy("reflex point", "Eyes / ears"),
    "Liver / gallbladder": pgettext_lazy("reflex point", "Liver / gallbladder"),
    "Stomach / spleen": pgettext_lazy("reflex point", "Stomach / spleen"),
    "Kidney / adrenal": pgettext_lazy("reflex point", "Kidney / adrenal"),
    "Intestines / bladder": pgettext_lazy("reflex point", "Intestines / bladder"),
    "Spine": pgettext_lazy("reflex point", "Spine"),
    "Pelvis / sciatic": pgettext_lazy("reflex point", "Pelvis / sciatic"),
    "Lymph / reproductive": pgettext_lazy("reflex point", "Lymph / reproductive"),
    "Lobe - head / face / eye": pgettext_lazy("reflex point", "Lobe - head / face / eye"),
    "Antitragus - forehead / temple / occiput": pgettext_lazy(
        "reflex point", "Antitragus - forehead / temple / occiput"
    ),
    "Tragus - nose / throat": pgettext_lazy("reflex point", "Tragus - nose / throat"),
    "Endocrine": pgettext_lazy("reflex point", "Endocrine"),
    "Antihelix - spine": pgettext_lazy("reflex point", "Antihelix - spine"),
    "Scapha - arm": pgettext_lazy("reflex point", "Scapha - arm"),
    "Superior crus - leg": pgettext_lazy("reflex point", "Superior crus - leg"),
    "Shen Men": pgettext_lazy("reflex point", "Shen Men"),
    "Upper concha - abdomen": pgettext_lazy("reflex point", "Upper concha - abdomen"),
    "Lower concha - chest": pgettext_lazy("reflex point", "Lower concha - chest"),
    "Helix root - diaphragm / point zero": pgettext_lazy(
        "reflex point", "Helix root - diaphragm / point zero"
    ),
}


def translated(name: str) -> str:
    """A catalogue point's name in the active language (unknown names unchanged)."""
    entry = NAMES.get(name)
    return str(entry) if entry is not None else name
