"""banso's events: immutable, past-tense facts of the support programme.

Each module holds the events of one aggregate. A stored event's topic (module and class
name) and its fields are a public contract: evolve a shape with ``class_version`` and an
``upcast_vN_vM`` class method, never by editing it in place.
"""
