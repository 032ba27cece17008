"""Facts from Russian news: a spaCy pipeline on natasha's models plus relation extractors."""
