package io.hishel.spring.boot.database;

import org.springframework.data.jpa.repository.JpaRepository;

interface People extends JpaRepository<Person, Long> {
}
