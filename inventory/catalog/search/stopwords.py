"""Words that carry no need: French and English stop words (after Snowball's lists, accents
folded, elided forms included; "son" is kept: it is also sound) and a few words every catalog
entry could claim."""

FRENCH = frozenset(
    {
        "a", "ai", "aie", "aient", "aies", "ait", "as", "au", "aura", "aurai", "auraient", "aurais",
        "aurait", "auras", "aurez", "auriez", "aurions", "aurons", "auront", "aux", "avaient",
        "avais", "avait", "avec", "avez", "aviez", "avions", "avoir", "avons", "ayant", "ayez",
        "ayons", "c", "ce", "ceci", "cela", "celle", "celles", "celui", "ces", "cet", "cette",
        "ceux", "chaque", "comme", "d", "dans", "de", "des", "du", "elle", "elles", "en", "es",
        "est", "et", "etaient", "etais", "etait", "etant", "ete", "etee", "etees", "etes", "etiez",
        "etions", "etre", "eu", "eue", "eues", "eumes", "eurent", "eus", "eusse", "eussent",
        "eusses", "eussiez", "eussions", "eut", "eutes", "eux", "fumes", "furent", "fus", "fusse",
        "fussent", "fusses", "fussiez", "fussions", "fut", "futes", "ici", "il", "ils", "j", "je",
        "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "meme", "memes",
        "mes", "moi", "mon", "n", "ne", "nos", "notre", "nous", "on", "ont", "ou", "par", "pas",
        "pour", "qu", "que", "quel", "quelle", "quelles", "quels", "qui", "s", "sa", "sans", "se",
        "sera", "serai", "seraient", "serais", "serait", "seras", "serez", "seriez", "serions",
        "serons", "seront", "ses", "si", "soi", "soient", "sois", "soit", "sommes", "sont", "soyez",
        "soyons", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos",
        "votre", "vous", "y"
    }
)  # fmt: skip

ENGLISH = frozenset(
    {
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
        "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
        "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for",
        "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
        "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
        "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "of", "off", "on", "once",
        "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she",
        "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
        "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
        "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
        "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
        "yourselves"
    }
)  # fmt: skip

# Every entry is software, a tool, an application, and lets one do or use something: these
# words narrow nothing. They still match names ("Mobile", "Tool") when a query has no other.
CATALOG = frozenset(
    {
        "app", "application", "applications", "apps", "besoin", "faire", "fait", "logiciel",
        "logiciels", "outil", "outils", "permet", "permettant", "permettre", "programme",
        "programmes", "software", "softwares", "solution", "solutions", "tool", "tools",
        "utiliser",
    }
)  # fmt: skip

STOP_WORDS = FRENCH | ENGLISH | CATALOG
