package io.caravan.camel;

/** Loads the classes a mapping names ({@code process_dict: com.acme.Clean}). */
final class UserClasses {

    private UserClasses() {
    }

    /**
     * @return a new instance of {@code className}, which must implement {@code type}
     * @throws IllegalArgumentException naming the class and what is wrong with it
     */
    static <T> T instantiate(String className, Class<T> type, String key) {
        try {
            Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            if (!type.isAssignableFrom(c)) {
                throw new IllegalArgumentException(key + ": class " + className + " does not implement "
                        + type.getName());
            }
            return type.cast(c.getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(key + ": class " + className
                    + " not found; put its jar in lib/ or on the classpath", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(key + ": cannot create " + className
                    + " (it needs a public no-argument constructor): " + e, e);
        }
    }
}
