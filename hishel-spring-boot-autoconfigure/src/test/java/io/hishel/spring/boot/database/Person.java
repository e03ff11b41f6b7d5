package io.hishel.spring.boot.database;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** The application's own entity, in the application's own database. */
@Entity(name = "person")
class Person {
    @Id
    Long id;
    String name;
}
